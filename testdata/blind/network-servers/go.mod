module example.com/netsrv

go 1.22
