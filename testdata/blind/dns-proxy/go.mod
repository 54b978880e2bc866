module example.com/dnsproxy

go 1.21
