"""The assessment service: penilaian, ratings, predikat, capaian organisasi, pola distribusi, keberatan."""
