module example.com/clitests

go 1.22
