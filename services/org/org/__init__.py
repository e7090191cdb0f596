"""The org service: instansi, the unor tree, pegawai, PLT/PLH and the relations between pegawai."""
