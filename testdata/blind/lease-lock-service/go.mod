module example.com/leaselock

go 1.22
