module example.com/deferblockingopts

go 1.22
