module example.com/lockreentry

go 1.22
