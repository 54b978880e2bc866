module example.com/deferlockmismatch

go 1.22

require example.com/flock v0.0.0

replace example.com/flock => ./third_party/flock
