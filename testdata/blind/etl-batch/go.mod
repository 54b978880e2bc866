module example.com/etl

go 1.23
