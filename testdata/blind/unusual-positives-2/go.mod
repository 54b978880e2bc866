module example.com/unusualpositives2

go 1.22
