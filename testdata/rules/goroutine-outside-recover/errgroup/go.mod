module example.com/outsiderecovererrgroup

go 1.22

require golang.org/x/sync v0.0.0

replace golang.org/x/sync => ./third_party/sync
