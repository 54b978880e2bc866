module example.com/tsdb

go 1.23
