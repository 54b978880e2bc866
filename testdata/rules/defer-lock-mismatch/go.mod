module example.com/deferlockmismatch

go 1.22
