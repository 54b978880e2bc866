module example.com/collab

go 1.21
