"""The national data set: a generator of instansi, unor, pegawai, PLT/PLH and SKPs at national scale,
loaded through the services' own APIs into the national stack (`make seed-national`). See README.md."""
