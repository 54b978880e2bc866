module example.com/outsiderecover

go 1.22
