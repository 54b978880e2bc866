module example.com/mqworker

go 1.22
