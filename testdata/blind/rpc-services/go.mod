module example.com/rpcservices

go 1.22
