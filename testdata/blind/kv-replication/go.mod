module example.com/kvreplication

go 1.22
