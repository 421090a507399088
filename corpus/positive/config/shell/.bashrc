# ~/.bashrc
export PATH="$HOME/bin:$PATH"
alias ll='ls -l'
export DB_PASSWORD=Hornbeam9
export GITLAB_TOKEN=glx-9a8b7c6d5e4f
export EDITOR=vim
