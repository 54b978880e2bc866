package excluded
