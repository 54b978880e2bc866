module example.com/deferinloopcgo

go 1.22
