"""Publishing and serving the site: deploy.publish (mike versions), deploy.nginx (config, htpasswd, checkout)."""
