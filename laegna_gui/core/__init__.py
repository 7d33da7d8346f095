"""The model of Laegna: graphs, datasets, project files. Plain Python + numpy only."""
