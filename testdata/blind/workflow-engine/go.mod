module example.com/wfengine

go 1.23
