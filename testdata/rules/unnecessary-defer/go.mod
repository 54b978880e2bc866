module example.com/unnecessarydefer

go 1.22
