module example.com/searchindexer

go 1.22
