module example.com/ftpsrv

go 1.24
