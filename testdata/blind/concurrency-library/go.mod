module example.com/conclib

go 1.22
