import { mount } from 'svelte';
import App from './App.svelte';
import { registerOfflineSupport } from './app/offline.svelte';
import './app.css';

registerOfflineSupport();
mount(App, { target: document.getElementById('app')! });
