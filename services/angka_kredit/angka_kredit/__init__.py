"""The angka kredit service: PAK (pengajuan angka kredit) of pegawai in jabatan fungsional."""
