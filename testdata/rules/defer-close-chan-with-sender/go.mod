module example.com/closechan

go 1.22
