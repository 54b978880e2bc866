module example.com/websvc

go 1.22
