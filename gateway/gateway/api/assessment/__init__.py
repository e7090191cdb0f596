"""Assessment: penilaian, realisasi, ratings, inbox, capaian, pola distribusi and keberatan (the assessment service)."""
