module example.com/txsvc

go 1.22
