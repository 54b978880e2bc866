module example.com/wgdonewggo

go 1.25
