module example.com/moderngo

go 1.23
