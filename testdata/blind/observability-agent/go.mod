module example.com/obsagent

go 1.22
