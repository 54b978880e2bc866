module example.com/deferinloopiter

go 1.23
