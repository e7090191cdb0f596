"""Angka kredit: PAK from final predikat and integrasi, their workflow, SK numbering and forecast."""
