module example.com/outsiderecoverwggo

go 1.25
