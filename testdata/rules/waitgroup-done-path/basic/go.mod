module example.com/wgdone

go 1.22
