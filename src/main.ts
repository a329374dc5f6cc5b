import { mount } from 'svelte';
import App from './app/App.svelte';
import { registerOfflineSupport } from './features/storage/client/offline.svelte';
import './app/app.css';

registerOfflineSupport();
mount(App, { target: document.getElementById('app')! });
