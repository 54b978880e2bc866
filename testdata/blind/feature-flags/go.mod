module example.com/flagsvc

go 1.23
