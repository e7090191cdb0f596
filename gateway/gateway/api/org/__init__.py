"""GraphQL types, queries and mutations of the org service: instansi, unor, pegawai, PLT/PLH, relations."""
