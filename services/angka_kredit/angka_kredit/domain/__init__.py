"""The angka kredit domain: pure Python, every figure an exact `fractions.Fraction` (never a float).
Sources: PermenPAN-RB 1/2023 (rule data), the manual 002 §2.6 and §2.14-2.15 (the Pengajuan Angka Kredit
form and its worked example), the shared spec of the angka kredit service (issue 11).

Public API (module: name — one line each):

aturan:      Predikat (IntEnum 1-5 as assessment.v1), PREDIKAT_LABEL, CaraHitungBulan (BULAN_PENUH, BULAN_TMT),
             Jenjang(nama, koefisien, kebutuhan_pangkat|None, kebutuhan_jenjang|None, jenjang_berikutnya|None,
             catatan), AturanAngkaKredit(versi, berlaku_sejak, sumber, persentase, jenjang, cara_hitung_bulan,
             cara_hitung_sumber; .persen(p), .jenjang_of(nama) raises, .cari_jenjang(nama) -> Jenjang|None,
             .cara_hitung_uraian), ATURAN, aturan_pada(day), jenjang_dikenal(nama, day) -> bool, ak("12.5"),
             normalisasi(nama)
nilai:       pecahan(f) "175/16"; desimal(f, places=4) half up, zeros stripped; tampil(f) (3 places);
             angka(f) "150"/"12.5"; NilaiAk(nilai, pecahan, desimal, tampil); nilai_ak(f); dari_pecahan(s)
perhitungan: jumlah_bulan(mulai, selesai, bulan_periode, tmt_jabatan|None, cara) -> (int, uraian);
             hitung(bulan, predikat, jenjang, aturan, uraian_bulan="") -> Perhitungan(predikat, jenjang,
             jumlah_bulan, uraian_bulan, persentase, koefisien, angka_kredit, rumus, aturan_versi,
             aturan_berlaku_sejak, aturan_sumber; .persentase_teks, .koefisien_teks); BULAN, nama_bulan(m),
             tanggal_teks(d), bulan_teks(y, m)
kumulatif:   PakRingkas(id, jenjang, golongan, tanggal_selesai, created_at, angka_kredit);
             Kumulatif(lama, diperoleh, baru, kebutuhan|None, terpenuhi, kekurangan, uraian, kenaikan;
             .dengan_diperoleh(ak)); kumulatif(rows, target_index, aturan=None) -> (pangkat, jenjang);
             kumulatif_semua(rows, aturan=None) -> {id: (pangkat, jenjang)}; jumlah_saat_ini(rows, jenjang,
             golongan) -> (kp, kj); hitung_kumulatif(lama, diperoleh, kebutuhan, kenaikan); urutkan(rows)
prakiraan:   prakiraan(*, jenjang, golongan, kumulatif_pangkat, kumulatif_jenjang, predikat_terakhir, mulai,
             aturan) -> Prakiraan(jenjang, golongan, koefisien, jenjang_berikutnya, kumulatif_pangkat,
             kumulatif_jenjang, mulai_bulan "YYYY-MM", predikat_terakhir, skenario, catatan, aturan_versi,
             aturan_sumber); SkenarioPrakiraan(predikat, saat_ini, ak_per_tahun, rumus_per_tahun,
             kenaikan_pangkat, kenaikan_jenjang); TargetPrakiraan(berlaku, kebutuhan, kumulatif, kekurangan,
             sudah_terpenuhi, bulan_dibutuhkan, bulan_tercapai, rumus); mulai_bulan(selesai_terakhir|None,
             today) -> date
penomoran:   FORMAT_BAKU "{nomor}/PAK/{tahun}"; periksa_format(fmt) -> stored format (FORMAT_NOMOR_TIDAK_SAH);
             render(fmt, nomor, tahun, bulan) -> str ≤ 50; contoh(fmt)
model:       StatusPak, SumberPak, CaraTandaTangan, ModePenomoran (IntEnums as the contract), Aksi (StrEnum),
             STATUS_LABEL, Pelaku, Langkah, Perubahan, TandaTangan, Angka; events PakDibuat, PakDihitungUlang
             (pak, perubahan|None), PakDiajukan, PakDisetujui, PakSigned, PakDikembalikan(pak, alasan),
             PakPerluDiperbarui(pak, alasan), Event;
             Pak.konversi(...) / Pak.integrasi(...) -> (Pak, PakDibuat); pak.tetapkan_kumulatif(kp, kj);
             pak.ajukan(*, mode, nomor_sk, tempat, tanggal_sk, oleh, at, tempat_baku="", penilai_id=None)
             -> PakDiajukan;
             pak.setujui(*, oleh, at, nomor_otomatis=None) -> PakDisetujui; pak.perlu_nomor_otomatis;
             pak.tandatangani_tte(*, sha256, oleh, at) / pak.unggah_sk(*, sha256, nama, ukuran, oleh, at)
             -> PakSigned; pak.kembalikan_ke_draft(*, alasan, oleh, at) -> PakDikembalikan;
             pak.tandai_perlu_pak_baru(alasan, *, oleh, at); pak.hitung_ulang(perhitungan_baru, *, alasan,
             keberatan_id, at, oleh=None) / pak.perbarui_kumulatif(kp, kj, *, at, alasan=..., oleh=None)
             -> PakDihitungUlang | PakPerluDiperbarui | None; pak.ak_efektif, pak.angka_efektif,
             pak.ringkas(), pak.tahun_sk, pak.predikat; pak.periksa_versi(expected); pak.sentuh(now);
             hitung_konversi(*, tanggal_mulai, tanggal_selesai, bulan_periode, tmt_jabatan, predikat,
             jenjang, aturan=None) -> Perhitungan; kumulatif_berikutnya(paks, pemicu, *, at, oleh=None)
             -> [PakDihitungUlang | PakPerluDiperbarui] (the cascade to the later PAKs);
             periksa_berkas_sk(bytes); alasan_wajib(s); nomor_sk_manual(s); alasan_predikat_diubah(id|None);
             dokumen(pak) -> JSON dict; isi_dokumen(dict) -> Pak kwargs; DOKUMEN_KEYS
errors:      PakTidakDitemukan (PAK_NOT_FOUND), StatusTidakSesuai, NomorSkWajib, NomorSkTerlaluPanjang,
             NomorSkTidakDiisiOtomatis, NomorSkTerpakai(nomor, tahun), TempatWajib, TempatTerlaluPanjang,
             TanggalSkWajib, AlasanWajib, AlasanTerlaluPanjang, TeksTidakSah, BerkasBukanPdf,
             BerkasTerlaluBesar, FormatNomorTidakSah, BukanJabatanFungsional, JenjangTidakDikenal,
             PredikatTidakDikenal, NomorTidakSah (NOMOR_SK_TIDAK_SAH), VersiBerbeda (VERSION_CONFLICT),
             BukanPenilai; PAK_NOT_FOUND. Field refusals are InvalidArgument: reason INVALID_ARGUMENT, the
             code on the violation.
"""
