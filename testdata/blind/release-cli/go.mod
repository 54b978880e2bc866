module example.com/releasecli

go 1.19
