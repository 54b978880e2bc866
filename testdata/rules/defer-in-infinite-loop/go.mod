module example.com/deferininfiniteloop

go 1.22
