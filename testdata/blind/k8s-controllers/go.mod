module example.com/k8scontrollers

go 1.22
