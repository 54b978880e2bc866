module example.com/blindcorpus

go 1.22
