module example.com/backupsched

go 1.22
