import { mount } from 'svelte';
import App from './app/App.svelte';
import { yieldToMain } from './lib/yieldToMain';
import './app/app.css';

// The bundle's evaluation and the app's first render in two tasks, not one of 40–50 ms on a busy machine.
await yieldToMain();
mount(App, { target: document.getElementById('app')! });
