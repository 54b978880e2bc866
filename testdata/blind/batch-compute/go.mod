module example.com/batchcompute

go 1.22
