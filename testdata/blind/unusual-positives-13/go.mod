module example.com/up13

go 1.22
