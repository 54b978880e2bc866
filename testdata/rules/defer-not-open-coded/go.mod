module example.com/defernotopencoded

go 1.23
