module example.com/blindi

go 1.22
